from awsquiz.cli import script

script()
