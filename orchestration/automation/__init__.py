"""When refreshes happen: the daily schedule, the landing-folder sensor, the run-failure alert."""
