"""The main screen's widgets: search bar, sidebar, paper list, detail pane."""
