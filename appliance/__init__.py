"""Mektep's domain core: configuration, database, models and services. No Flask here."""

__version__ = "0.1.0"
API_VERSION = 1
