"""Real FastGPT app definitions (templates, system plugins, doc cases, empty templates) and what
FastGPT does with each; `tests/workflow/test_fastgpt_apps.py` imports and runs every one."""
