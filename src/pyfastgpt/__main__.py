from pyfastgpt.cli import main

main()
