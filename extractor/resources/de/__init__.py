"""German lexicons; see README.md in this folder for sources and licences."""
