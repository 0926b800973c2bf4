from tests.screening.fixtures import no_model, tiny_model, tiny_model_path, training_file

__all__ = ["no_model", "tiny_model", "tiny_model_path", "training_file"]
