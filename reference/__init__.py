"""The reference survey extracts (extracts/) and the package that generates them (generator/)."""
