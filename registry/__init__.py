"""Register Edaran: a static registry of Indonesian government circulars."""

# Bumped when a change to the code changes what a build produces (part of cache keys later).
CODE_VERSION = "1"
