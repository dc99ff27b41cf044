"""Version schemes, one module each, all implementing `steward.versioning.interface.Versioning`."""
