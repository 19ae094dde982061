{#- The CTEs of a trend mart (the caller's WITH continues with them, then selects from `trend`):
    for each pair of consecutive waves (int_wave_pairs) and each item of `figures` (a CTE with
    `wave`, the `items` columns, the `measures` and `wave_respondents`, the wave's included
    respondents in the row's scope), the figures of both waves side by side: <m>_from, <m>_to,
    <m>_change for every measure, wave_respondents_from/_to, and share_from/_to/_change, the
    `share_of` measure over the wave's respondents (4 dp). An item with no row in a wave (an
    area that wave's questionnaire did not ask) gets NULLs there, never zeros, and only_in_wave
    names the one wave it exists in. -#}
{% macro wave_trend(figures, items, measures, share_of) %}
wave_pairs as (
    select * from {{ ref('int_wave_pairs') }}
),

pair_items as (
    select distinct wave_pairs.wave_from, wave_pairs.wave_to, {% for item in items %}{{ figures }}.{{ item }}{{ ", " if not loop.last }}{% endfor %}
    from wave_pairs
    inner join {{ figures }}
        on {{ figures }}.wave in (wave_pairs.wave_from, wave_pairs.wave_to)
),

trend as (
    select
        pair_items.wave_from,
        pair_items.wave_to,
        {% for item in items -%}
        pair_items.{{ item }},
        {% endfor -%}
        {% for measure in measures -%}
        figures_from.{{ measure }} as {{ measure }}_from,
        figures_to.{{ measure }} as {{ measure }}_to,
        figures_to.{{ measure }} - figures_from.{{ measure }} as {{ measure }}_change,
        {% endfor -%}
        figures_from.wave_respondents as wave_respondents_from,
        figures_to.wave_respondents as wave_respondents_to,
        round(figures_from.{{ share_of }} / nullif(figures_from.wave_respondents, 0), 4) as share_from,
        round(figures_to.{{ share_of }} / nullif(figures_to.wave_respondents, 0), 4) as share_to,
        round(
            round(figures_to.{{ share_of }} / nullif(figures_to.wave_respondents, 0), 4)
                - round(figures_from.{{ share_of }} / nullif(figures_from.wave_respondents, 0), 4),
            4
        ) as share_change,
        case
            when figures_from.wave is null then pair_items.wave_to
            when figures_to.wave is null then pair_items.wave_from
        end as only_in_wave
    from pair_items
    left join {{ figures }} as figures_from
        on figures_from.wave = pair_items.wave_from
        {% for item in items -%}
        and figures_from.{{ item }} = pair_items.{{ item }}
        {% endfor %}
    left join {{ figures }} as figures_to
        on figures_to.wave = pair_items.wave_to
        {% for item in items -%}
        and figures_to.{{ item }} = pair_items.{{ item }}
        {% endfor %}
)
{% endmacro %}
