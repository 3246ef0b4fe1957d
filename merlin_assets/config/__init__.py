"""Configuration: the project config a person writes (`project.py` and the modules it is made
of), and the settings a run reads from the environment (`environment.py`)."""
