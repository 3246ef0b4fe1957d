"""Providers behind one interface: the offline writer and OpenAI."""
