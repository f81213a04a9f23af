from receivables.cli import main

main()
