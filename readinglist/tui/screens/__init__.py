"""The main screen, the help screen and the dialogs (each a typed ModalScreen)."""
