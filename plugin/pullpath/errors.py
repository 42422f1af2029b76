"""The one error a user ever sees from pullpath: bad input, said in one line, exit code 2."""


class InputError(Exception):
    """Input pullpath cannot judge (unreadable, malformed, not a plan). Never a silent pass."""
