from awsquiz.cli import main

main()
