"""KAMIS Open API client: code tables, request plans, transport, parsing and redaction."""
