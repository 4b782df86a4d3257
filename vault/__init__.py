"""The vault: the only place a real value lives, encrypted, scoped to one session."""
