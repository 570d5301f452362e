"""Stations, hourly observations, ingest runs and stored statistics."""
