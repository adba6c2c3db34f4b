"""Residents' rights (AVG/GDPR): access and erasure requests, retention, the processing register."""
