"""Detection: what in a string is personal data. Presidio recognizers, our own, known values, merging."""
