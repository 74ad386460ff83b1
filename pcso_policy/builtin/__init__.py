"""Rules built into the engine: reading files and the front-matter contract."""
