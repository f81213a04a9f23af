"""The local scheduler: `receivables schedule` runs the robots on the plan in config/schedule.yaml.

One robot runs at a time in a scheduler process, and never twice at once across processes (a lock
row in the ledger with a heartbeat, taken over when its holder has crashed). In Control Room the
same plan is a set of schedules on the robot.yaml tasks (see README).
"""
