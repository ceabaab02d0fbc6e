"""The demo province, loaded by `manage.py load_demo_data`: its subjects (regions, agencies,
officers, the major-decision catalogue), power lists and cases."""
