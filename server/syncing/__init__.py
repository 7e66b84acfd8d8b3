"""The sync engine adapted to the database: tables, store, push and pull endpoints."""
