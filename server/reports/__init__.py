"""What the site's records add up to: the figures (defined once), the daily and weekly report,
and the exports for spreadsheets."""
