"""Adapters: the only code that talks to the network (one HTTP layer) and to local databases."""
