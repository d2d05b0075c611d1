# The commands of README "Commands": each sets up what is missing, then does its job. The work is in
# ./marsad (POSIX sh), so a machine without make runs the same steps with `sh marsad run|test|wheelhouse`.
#   make run [ARGS="--demo"] [PORT=8600] [OFFLINE=1]
#   make test [ARGS="-k store -x"]
#   make wheelhouse [DIR=wheelhouse] [DEV=1]
ARGS ?=
PORT ?=
OFFLINE ?=
DEV ?=
DIR ?=

run:
	PORT="$(PORT)" OFFLINE="$(OFFLINE)" sh ./marsad run $(ARGS)

test:
	OFFLINE="$(OFFLINE)" sh ./marsad test $(ARGS)

wheelhouse:
	DEV="$(DEV)" sh ./marsad wheelhouse $(DIR)

.PHONY: run test wheelhouse
