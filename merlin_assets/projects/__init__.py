"""Where project configs come from: a folder or a bucket (`sources.py`), the scan of it
(`files.py`), and the projects sensor's state between ticks (`sensor_state.py`)."""
