"""notification-service: tells customers what happened to their order."""
