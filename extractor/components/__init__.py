"""Rule components of eventfacts; importing this package registers every factory."""
