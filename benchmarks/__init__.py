"""`make bench`: every figure is a ratio or difference measured in the same run, on this machine."""
