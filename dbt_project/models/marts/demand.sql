-- Greatest demand or concern themes (Q8), by survey and overall.
{{ theme_shares('demand', 'codebook_demand') }}
