"""Quality set: queries over the seed library and the paper(s) that must come first.

Each case is (query, title fragments): the first result's title must contain one
of the fragments. Shared by the test suite and bench/search_bench.py.
"""

from __future__ import annotations

# User state given to some seed papers before searching: title fragment -> (tags, read).
STATE = {
    "Pointer Networks": (["classic"], True),
    "Continual Learning in Neural Networks": (["continual"], True),
    "A Survey of Quantization Methods": (["robustness", "efficiency"], False),
    "Robust Table Integration in Data Lakes": (["robustness"], True),
}

CASES: list[tuple[str, tuple[str, ...]]] = [
    # typos
    ("atention is all you need", ("Gaussian Adaptive Attention is All You Need",)),
    ("adverserial training llms", ("Efficient Adversarial Training in LLMs",)),
    ("backdor attacks", ("Efficient Backdoor Attacks",)),
    ("knowlege graph embedding", ("Existing knowledge graph (KG) embedding",)),
    ("compositional generalizaton", ("Data Factors for Better Compositional Generalization",)),
    ("recurent neural networks review", ("A Critical Review of Recurrent Neural Networks",)),
    ("halucinate", ("Calibrated Language Models Must Hallucinate",)),
    # prefixes while typing
    ("pointer net", ("Pointer Networks",)),
    ("hypernet rev", ("A Brief Review of Hypernetworks",)),
    ("omniq", ("OmniQuant",)),
    ("transnor", ("Scaling TransNormer",)),
    ("kinemat", ("Deep Stochastic Kinematic Models",)),
    ("vision language model afford", ("POINTS: Improving Your Vision-language Model",)),
    ("centa", ("Centaur: Robust End-to-End Autonomous Driving",)),
    # acronyms
    ("NAS training-free", ("Robustifying and Boosting Training-Free Neural Architecture Search",)),
    ("NAS graph", ("Auto-GNN: Neural Architecture Search",)),
    ("GAN", ("Generative Adversarial Networks (GANs)",)),
    ("BERT", ("called BERT",)),
    ("MLLM safety", ("SafeEraser",)),
    ("CLIP dataset design", ("Quality Not Quantity",)),
    ("LLM teaching", ("Can LLMs Learn by Teaching?",)),
    ("LLM serving", ("In the rapidly evolving landscape",)),
    # multi-word
    ("quantization diffusion", ("Enhanced Distribution Alignment for Post-Training Quantization",)),
    ("survey quantization", ("A Survey of Quantization Methods",)),
    ("machine unlearning diffusion", ("Score Forgetting Distillation",)),
    ("unlearnable examples bayes", ("Towards Provably Unlearnable Examples",)),
    ("click-through rate embedding", ("OptEmbed",)),
    ("image inpainting", ("Region Normalization for Image Inpainting",)),
    ("motion forecasting traffic", ("Deep Stochastic Kinematic Models",)),
    ("breast ultrasound", ("Prompt2Perturb",)),
    ("learngene pool", ("Building Variable-sized Models via Learngene Pool",)),
    ("curriculum learning deep rl", ("Teacher algorithms for curriculum learning",)),
    ("conformal prediction", ("Provably Robust Conformal Prediction",)),
    ("permutation layer label noise", ("The existence of label noise",)),
    ("emergent in-context learning", ("Data Distributional Properties Drive Emergent",)),
    (
        "unsupervised pretraining provable",
        ("On the Provable Advantage of Unsupervised Pretraining",),
    ),
    ("dataset distillation", ("Self-Supervised Dataset Distillation",)),
    ("arabic", ("ALLaM",)),
    # phrases, exclusions, qualifiers
    ('"label noise" web', ("An accurate detection is not all you need",)),
    ("label noise -web", ("The existence of label noise",)),
    ("robust year:2018", ("Robust Attentional Aggregation",)),
    ("adversarial relu year:2020..2022", ("Efficient Global Optimization of Two-layer ReLU",)),
    ("training authors:>20", ("Benchmarking Neural Network Training Algorithms",)),
    ("title:sharpness unlearning", ("Towards LLM Unlearning Resilient",)),
    ("continual is:read", ("Continual Learning in Neural Networks",)),
    ("tag:classic", ("Pointer Networks",)),
    ("tag:robustness is:unread", ("A Survey of Quantization Methods",)),
    ("robust tag:robustness", ("Robust Table Integration in Data Lakes",)),
]
