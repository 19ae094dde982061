"""What every stage runs on: settings, locks, the executor and instance, processes, hashing,
SQL quoting, alerts and the refresh fingerprint. Imports only `orchestration.domain`."""
