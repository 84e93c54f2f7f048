"""rasa-sdk adapters: read the tracker, call a Passordhjelp service, dispatch a response."""
