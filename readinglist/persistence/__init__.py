"""Where the library lives on disk: its files, their layout, the writes that keep them whole."""
