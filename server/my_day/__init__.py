"""My day: what each user should look at today, by the same rules as the phone's."""
