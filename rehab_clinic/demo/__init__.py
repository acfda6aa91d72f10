"""The demo clinics, accounts and patients (`manage.py seed_demo`)."""
