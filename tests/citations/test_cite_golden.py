"""Golden outputs.

The CSL styles (and BibTeX) on records written for the style guides: APA 7, MLA 9,
CMOS 18 author-date, the IEEE reference guide, Cite Them Right (Harvard), Nature.
The project's own styles also on the four kinds of paper of the samples.
"""

from __future__ import annotations

import pytest
from records import RECORDS

from readinglist.citations import cite

GUIDES = {
    "apa": {
        "article": "Van den Broeck, G., Hyman, I. E., Jr., Sahami Shirazi, A., & de la Fuente, M. (2012). Large-scale assessment of mobile notifications. Personal and Ubiquitous Computing, 16(4), 433–449. https://doi.org/10.1007/s00779-011-0412-2",
        "conference": "Vaswani, A., Shazeer, N., Parmar, N., & Uszkoreit, J. (2017). Attention is all you need. Advances in Neural Information Processing Systems, 30, 5998–6008.",
        "book": "Cooper, H., & Hedges, L. V. (Eds.). (1994). The handbook of research synthesis. Russell Sage Foundation.",
        "thesis": "Duh, K. (2009). Learning to rank with partially labeled data [Doctoral dissertation, University of Washington].",
        "preprint": "Binz, M., & Schulz, E. (2024). Centaur: A foundation model of human cognition (arXiv:2410.20268). arXiv. https://arxiv.org/abs/2410.20268",
        "organisation": "World Health Organization. (2023). Global tuberculosis report 2023. World Health Organization.",
        "others": "Neal, R. M., et al. (2011). MCMC using Hamiltonian dynamics. Handbook of Markov Chain Monte Carlo, 113–162.",
        "protected": "Doe, J. Q. (2024). Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck equation. Journal of Machine Learning Research, 25, 1–40.",
        "count_only": "Robust training using natural transformation. (2021).",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…] (arXiv:2407.15390). (ca. 2024). arXiv. https://arxiv.org/abs/2407.15390",
    },
    "mla": {
        "article": "Van den Broeck, Guy, et al. “Large-Scale Assessment of Mobile Notifications.” Personal and Ubiquitous Computing, vol. 16, no. 4, Apr. 2012, pp. 433–449, https://doi.org/10.1007/s00779-011-0412-2.",
        "conference": "Vaswani, Ashish, et al. “Attention Is All You Need.” Advances in Neural Information Processing Systems, vol. 30, 2017, pp. 5998–6008.",
        "book": "Cooper, Harris, and Larry V. Hedges, editors. The Handbook of Research Synthesis. Russell Sage Foundation, 1994.",
        "thesis": "Duh, Kevin. Learning to Rank with Partially Labeled Data. 2009. University of Washington, PhD dissertation.",
        "preprint": "Binz, Marcel, and Eric Schulz. “Centaur: A Foundation Model of Human Cognition.” arXiv:2410.20268, arXiv, 2024, https://arxiv.org/abs/2410.20268.",
        "organisation": "World Health Organization. Global Tuberculosis Report 2023. World Health Organization, 2023.",
        "others": "Neal, Radford M., et al. “MCMC Using Hamiltonian Dynamics.” Handbook of Markov Chain Monte Carlo, 2011, pp. 113–162.",
        "protected": "Doe, Jane Q. “Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck Equation.” Journal of Machine Learning Research, vol. 25, 2024, pp. 1–40.",
        "count_only": "“Robust Training Using Natural Transformation.” 2021.",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…]. arXiv:2407.15390, arXiv, circa 2024, https://arxiv.org/abs/2407.15390.",
    },
    "chicago": {
        "article": "Van den Broeck, Guy, Ira E. Hyman Jr., Alireza Sahami Shirazi, and María de la Fuente. 2012. “Large-Scale Assessment of Mobile Notifications.” Personal and Ubiquitous Computing 16 (4): 433–49. https://doi.org/10.1007/s00779-011-0412-2.",
        "conference": "Vaswani, Ashish, Noam Shazeer, Niki Parmar, and Jakob Uszkoreit. 2017. “Attention Is All You Need.” Advances in Neural Information Processing Systems 30: 5998–6008.",
        "book": "Cooper, Harris, and Larry V. Hedges, eds. 1994. The Handbook of Research Synthesis. Russell Sage Foundation.",
        "thesis": "Duh, Kevin. 2009. “Learning to Rank with Partially Labeled Data.” PhD diss., University of Washington.",
        "preprint": "Binz, Marcel, and Eric Schulz. 2024. “Centaur: A Foundation Model of Human Cognition.” arXiv:2410.20268. Preprint, arXiv. https://arxiv.org/abs/2410.20268.",
        "organisation": "World Health Organization. 2023. Global Tuberculosis Report 2023. World Health Organization.",
        "others": "Neal, Radford M., et al. 2011. “MCMC Using Hamiltonian Dynamics.” Handbook of Markov Chain Monte Carlo, 113–62.",
        "protected": "Doe, Jane Q. 2024. “Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck Equation.” Journal of Machine Learning Research 25: 1–40.",
        "count_only": "“Robust Training Using Natural Transformation.” 2021.",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…]. [2024?]. arXiv:2407.15390. Preprint, arXiv. https://arxiv.org/abs/2407.15390.",
    },
    "ieee": {
        "article": "[1] G. Van den Broeck, I. E. Hyman Jr., A. Sahami Shirazi, and M. de la Fuente, “Large-scale assessment of mobile notifications,” Personal and Ubiquitous Computing, vol. 16, no. 4, pp. 433–449, Apr. 2012, doi: 10.1007/s00779-011-0412-2.",
        "conference": "[1] A. Vaswani, N. Shazeer, N. Parmar, and J. Uszkoreit, “Attention is all you need,” in Advances in Neural Information Processing Systems, Curran Associates, 2017, pp. 5998–6008.",
        "book": "[1] H. Cooper and L. V. Hedges, Eds., The handbook of research synthesis. New York: Russell Sage Foundation, 1994.",
        "thesis": "[1] K. Duh, “Learning to rank with partially labeled data,” Ph.D. dissertation, University of Washington, 2009.",
        "preprint": "[1] M. Binz and E. Schulz, “Centaur: A foundation model of human cognition,” 2024, arXiv:2410.20268. [Online]. Available: https://arxiv.org/abs/2410.20268",
        "organisation": "[1] World Health Organization, “Global tuberculosis report 2023,” World Health Organization, Geneva, 2023.",
        "others": "[1] R. M. Neal et al., “MCMC using Hamiltonian dynamics,” Handbook of Markov Chain Monte Carlo, pp. 113–162, 2011.",
        "protected": "[1] J. Q. Doe, “Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck equation,” Journal of Machine Learning Research, vol. 25, pp. 1–40, 2024.",
        "count_only": "[1] “Robust training using natural transformation.” 2021.",
        "derived": "[1] [Abstract: We present ALLaM: Arabic Large Language Model, a…], ca. 2024, arXiv:2407.15390. [Online]. Available: https://arxiv.org/abs/2407.15390",
    },
    "harvard": {
        "article": "Van den Broeck, G. et al. (2012) ‘Large-scale assessment of mobile notifications’, Personal and Ubiquitous Computing, 16(4), pp. 433–449. Available at: https://doi.org/10.1007/s00779-011-0412-2.",
        "conference": "Vaswani, A. et al. (2017) ‘Attention is all you need’, Advances in Neural Information Processing Systems. Curran Associates, pp. 5998–6008.",
        "book": "Cooper, H. and Hedges, L.V. (eds) (1994) The handbook of research synthesis. New York: Russell Sage Foundation.",
        "thesis": "Duh, K. (2009) Learning to rank with partially labeled data. PhD thesis. University of Washington.",
        "preprint": "Binz, M. and Schulz, E. (2024) ‘Centaur: A foundation model of human cognition’. arXiv. Available at: https://arxiv.org/abs/2410.20268.",
        "organisation": "World Health Organization (2023) Global tuberculosis report 2023. Geneva: World Health Organization.",
        "others": "Neal, R.M. et al. (2011) ‘MCMC using Hamiltonian dynamics’, Handbook of Markov Chain Monte Carlo, pp. 113–162.",
        "protected": "Doe, J.Q. (2024) ‘Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck equation’, Journal of Machine Learning Research, 25, pp. 1–40.",
        "count_only": "‘Robust training using natural transformation’ (2021)",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…] (c. 2024) arXiv. Available at: https://arxiv.org/abs/2407.15390.",
    },
    "nature": {
        "article": "1. Van den Broeck, G., Hyman, I. E., Jr., Sahami Shirazi, A. & de la Fuente, M. Large-scale assessment of mobile notifications. Personal and Ubiquitous Computing 16, 433–449 (2012).",
        "conference": "1. Vaswani, A., Shazeer, N., Parmar, N. & Uszkoreit, J. Attention is all you need. in Advances in Neural Information Processing Systems vol. 30 5998–6008 (Curran Associates, 2017).",
        "book": "1. The Handbook of Research Synthesis. (Russell Sage Foundation, New York, 1994).",
        "thesis": "1. Duh, K. Learning to rank with partially labeled data. (University of Washington, 2009).",
        "preprint": "1. Binz, M. & Schulz, E. Centaur: A foundation model of human cognition. Preprint at https://arxiv.org/abs/2410.20268 (2024).",
        "organisation": "1. World Health Organization. Global Tuberculosis Report 2023. (2023).",
        "others": "1. Neal, R. M. et al. MCMC using Hamiltonian dynamics. Handbook of Markov Chain Monte Carlo 113–162 (2011).",
        "protected": "1. Doe, J. Q. Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck equation. Journal of Machine Learning Research 25, 1–40 (2024).",
        "count_only": "1. Robust training using natural transformation. (2021).",
        "derived": "1. [Abstract: We present ALLaM: Arabic Large Language Model, a…]. Preprint at https://arxiv.org/abs/2407.15390 (c. 2024).",
    },
    "bibtex": {
        "article": "@article{vandenbroeck2012large,\n  author  = {Van den Broeck, Guy and Hyman, Jr., Ira E. and Sahami Shirazi, Alireza and de la Fuente, María},\n  title   = {Large-Scale Assessment of Mobile Notifications},\n  journal = {Personal and Ubiquitous Computing},\n  volume  = {16},\n  number  = {4},\n  pages   = {433--449},\n  year    = {2012},\n  month   = apr,\n  doi     = {10.1007/s00779-011-0412-2},\n}",
        "conference": "@inproceedings{vaswani2017attention,\n  author    = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob},\n  title     = {Attention Is All You Need},\n  booktitle = {Advances in Neural Information Processing Systems},\n  volume    = {30},\n  pages     = {5998--6008},\n  publisher = {Curran Associates},\n  year      = {2017},\n}",
        "book": "@book{handbook1994,\n  title     = {The Handbook of Research Synthesis},\n  editor    = {Cooper, Harris and Hedges, Larry V.},\n  publisher = {Russell Sage Foundation},\n  address   = {New York},\n  year      = {1994},\n}",
        "thesis": "@phdthesis{duh2009learning,\n  author = {Duh, Kevin},\n  title  = {Learning to Rank with Partially Labeled Data},\n  school = {University of Washington},\n  year   = {2009},\n}",
        "preprint": "@article{binz2024centaur,\n  author        = {Binz, Marcel and Schulz, Eric},\n  title         = {Centaur: A Foundation Model of Human Cognition},\n  journal       = {arXiv preprint arXiv:2410.20268},\n  year          = {2024},\n  eprint        = {2410.20268},\n  archiveprefix = {arXiv},\n}",
        "organisation": "@techreport{organization2023global,\n  author      = {{World Health Organization}},\n  title       = {Global Tuberculosis Report 2023},\n  institution = {World Health Organization},\n  address     = {Geneva},\n  year        = {2023},\n}",
        "others": "@article{neal2011mcmc,\n  author  = {Neal, Radford M. and others},\n  title   = {{MCMC} Using {Hamiltonian} Dynamics},\n  journal = {Handbook of Markov Chain Monte Carlo},\n  pages   = {113--162},\n  year    = {2011},\n}",
        "protected": "@article{doe2024scaling,\n  author  = {Doe, Jane Q.},\n  title   = {Scaling {LLMs} on {ImageNet} with {DocLayout-YOLO} and the {Fokker-Planck} Equation.},\n  journal = {Journal of Machine Learning Research},\n  volume  = {25},\n  pages   = {1--40},\n  year    = {2024},\n}",
        "count_only": "@misc{robust2021,\n  title = {Robust Training Using Natural Transformation},\n  year  = {2021},\n  month = may,\n  note  = {6 authors},\n}",
        "derived": "@misc{present2024,\n  title         = {[Abstract: We present {ALLaM}: {Arabic} Large Language Model, a…]},\n  year          = {2024},\n  eprint        = {2407.15390},\n  archiveprefix = {arXiv},\n  note          = {year 2024 inferred},\n}",
    },
    "biblatex": {
        "article": "@article{vandenbroeck2012large,\n  author       = {Van den Broeck, Guy and Hyman, Jr., Ira E. and Sahami Shirazi, Alireza and de la Fuente, María},\n  title        = {Large-Scale Assessment of Mobile Notifications},\n  journaltitle = {Personal and Ubiquitous Computing},\n  volume       = {16},\n  number       = {4},\n  pages        = {433--449},\n  date         = {2012-04},\n  doi          = {10.1007/s00779-011-0412-2},\n}",
        "conference": "@inproceedings{vaswani2017attention,\n  author    = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob},\n  title     = {Attention Is All You Need},\n  booktitle = {Advances in Neural Information Processing Systems},\n  volume    = {30},\n  pages     = {5998--6008},\n  publisher = {Curran Associates},\n  date      = {2017},\n}",
        "book": "@book{handbook1994,\n  title     = {The Handbook of Research Synthesis},\n  editor    = {Cooper, Harris and Hedges, Larry V.},\n  publisher = {Russell Sage Foundation},\n  location  = {New York},\n  date      = {1994},\n}",
        "thesis": "@phdthesis{duh2009learning,\n  author = {Duh, Kevin},\n  title  = {Learning to Rank with Partially Labeled Data},\n  school = {University of Washington},\n  date   = {2009},\n}",
        "preprint": "@article{binz2024centaur,\n  author       = {Binz, Marcel and Schulz, Eric},\n  title        = {Centaur: A Foundation Model of Human Cognition},\n  journaltitle = {arXiv preprint arXiv:2410.20268},\n  date         = {2024},\n  eprint       = {2410.20268},\n  eprinttype   = {arxiv},\n}",
        "organisation": "@techreport{organization2023global,\n  author      = {{World Health Organization}},\n  title       = {Global Tuberculosis Report 2023},\n  institution = {World Health Organization},\n  location    = {Geneva},\n  date        = {2023},\n}",
        "others": "@article{neal2011mcmc,\n  author       = {Neal, Radford M. and others},\n  title        = {{MCMC} Using {Hamiltonian} Dynamics},\n  journaltitle = {Handbook of Markov Chain Monte Carlo},\n  pages        = {113--162},\n  date         = {2011},\n}",
        "protected": "@article{doe2024scaling,\n  author       = {Doe, Jane Q.},\n  title        = {Scaling {LLMs} on {ImageNet} with {DocLayout-YOLO} and the {Fokker-Planck} Equation.},\n  journaltitle = {Journal of Machine Learning Research},\n  volume       = {25},\n  pages        = {1--40},\n  date         = {2024},\n}",
        "count_only": "@misc{robust2021,\n  title = {Robust Training Using Natural Transformation},\n  date  = {2021-05-09},\n  note  = {6 authors},\n}",
        "derived": "@online{present2024,\n  title      = {[Abstract: We present {ALLaM}: {Arabic} Large Language Model, a…]},\n  date       = {2024?},\n  eprint     = {2407.15390},\n  eprinttype = {arxiv},\n}",
    },
}
OWN = {
    "bibtex": {
        "full": "@misc{vaswani2017attention,\n  author        = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob},\n  title         = {Attention Is All You Need: Scaling {LLMs} on {ImageNet} with {DocLayout-YOLO}},\n  year          = {2017},\n  month         = jun,\n  eprint        = {1706.03762},\n  archiveprefix = {arXiv},\n  doi           = {10.48550/arXiv.1706.03762},\n}",
        "seed": "@misc{robust2021,\n  title = {Robust Training Using Natural Transformation},\n  year  = {2021},\n  month = may,\n  note  = {6 authors},\n}",
        "derived": "@misc{present2024,\n  title = {[Abstract: We present {ALLaM}: {Arabic} Large Language Model, a…]},\n  year  = {2024},\n  month = dec,\n  note  = {year 2024 inferred},\n}",
        "hostile": "@misc{nunezndevil,\n  author  = {Núñez, José and O'Brien, Zoë},\n  title   = {\\{Evil\\} 100\\% \\& \\$x\\$ \\textbackslash{}input\\{x\\} [bold]x[/] \\textasciitilde{}\\string^\\#\\_ Über café 中文 end},\n  journal = {Journal of A \\& B},\n  url     = {https://example.org/a%20b%7Bc%7D},\n}",
    },
    "biblatex": {
        "full": "@online{vaswani2017attention,\n  author     = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob},\n  title      = {Attention Is All You Need: Scaling {LLMs} on {ImageNet} with {DocLayout-YOLO}},\n  date       = {2017-06-12},\n  eprint     = {1706.03762},\n  eprinttype = {arxiv},\n  doi        = {10.48550/arXiv.1706.03762},\n}",
        "seed": "@misc{robust2021,\n  title = {Robust Training Using Natural Transformation},\n  date  = {2021-05-09},\n  note  = {6 authors},\n}",
        "derived": "@misc{present2024,\n  title = {[Abstract: We present {ALLaM}: {Arabic} Large Language Model, a…]},\n  date  = {2024-12-12?},\n}",
        "hostile": "@article{nunezndevil,\n  author       = {Núñez, José and O'Brien, Zoë},\n  title        = {\\{Evil\\} 100\\% \\& \\$x\\$ \\textbackslash{}input\\{x\\} [bold]x[/] \\textasciitilde{}\\string^\\#\\_ Über café 中文 end},\n  journaltitle = {Journal of A \\& B},\n  url          = {https://example.org/a%20b%7Bc%7D},\n}",
    },
    "markdown": {
        "full": "[Attention Is All You Need: Scaling LLMs on ImageNet with DocLayout-YOLO](https://doi.org/10.48550/arXiv.1706.03762). arXiv:1706.03762 (2017)",
        "seed": "Robust Training Using Natural Transformation (2021)",
        "derived": "\\[Abstract: We present ALLaM: Arabic Large Language Model, a…\\] (2024?)",
        "hostile": "[\\{Evil\\} 100% & $x$ \\\\input\\{x\\} \\[bold\\]x\\[/\\] \\~^\\#\\_ Über café 中文 end](https://example.org/a%20b{c}). *Journal of A & B* (n.d.)",
    },
    "plain": {
        "full": "Ashish Vaswani, Noam Shazeer, Niki Parmar, and Jakob Uszkoreit. Attention Is All You Need: Scaling LLMs on ImageNet with DocLayout-YOLO. arXiv:1706.03762, 2017. https://doi.org/10.48550/arXiv.1706.03762",
        "seed": "6 authors. Robust Training Using Natural Transformation. 2021.",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…]. [2024?].",
        "hostile": "José Núñez and Zoë O'Brien. {Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ Über café 中文 end. Journal of A & B, n.d. https://example.org/a%20b{c}",
    },
}


@pytest.mark.parametrize(
    ("style", "kind"), [(style, kind) for style, cases in GUIDES.items() for kind in cases]
)
def test_style_guides(style, kind):
    assert cite([RECORDS[kind]], style) == GUIDES[style][kind]


@pytest.mark.parametrize(("style", "kind"), [(s, k) for s, cases in OWN.items() for k in cases])
def test_own_styles_on_samples(style, kind, request):
    assert cite([request.getfixturevalue(kind)], style) == OWN[style][kind]
