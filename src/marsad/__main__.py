from marsad.cli import entry

entry()
