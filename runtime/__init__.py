"""Server processes and Rasa adapters: the action server, the launcher, the fail-closed
tracker store, the lock stores, and the changes made to Rasa's behaviour."""
