from ssbkg.cli import main

main()
