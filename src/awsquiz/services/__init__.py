"""Services: what each command does, between the command line (arguments) and the terminal
(display). Each takes plain values and returns plain data, or runs a session through the
`Terminal` protocol; none of them prints. They are the only code that writes progress."""
