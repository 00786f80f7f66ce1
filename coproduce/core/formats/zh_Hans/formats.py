"""Simplified Chinese: Django leaves the thousands separator empty (and groups by four), so
1557000000 showed as 1557000000.00. Official Chinese statistics group by three with a comma
(RMB 1,557,000,000): so do we. Dates and times keep Django's zh_Hans formats."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
