-- Organisational priority themes (Q7), by survey and overall.
{{ theme_shares('priorities', 'codebook_priorities') }}
