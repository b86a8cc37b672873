"""SLAs: business calendars, ordered SLA policies, the policy applied to each ticket and its clocks."""
