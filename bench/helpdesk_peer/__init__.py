"""A minimal Django project that serves django-helpdesk's REST API for bench/bench_api.py."""
