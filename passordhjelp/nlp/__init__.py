"""spaCy analysis shared by the NLU components and the services: no pretrained pipelines."""
