"""Version of the fastgpt-client distribution."""

__version__ = "0.2.0"
