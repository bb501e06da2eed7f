"""jangbogi dashboard: the Streamlit app, chart and dataset specs, named SQL and database backends."""
