"""Rebuild models/pose_landmarker_full.task from the weights in the mediapipe 0.10.21 wheel.

Run it in a throwaway environment, never in the project's own:

    python3 -m venv /tmp/mp021 && /tmp/mp021/bin/pip install mediapipe==0.10.21
    /tmp/mp021/bin/python models/build_pose_task.py models/pose_landmarker_full.task

The Tasks API reads the input normalisation from TFLite metadata, which the
bare weights in the wheel lack, so this adds it and zips the two models (stored,
not deflated) under the names PoseLandmarker looks for.
"""

import pathlib
import sys
import zipfile

import mediapipe
from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer, writer_utils

WHEEL_ROOT = pathlib.Path(mediapipe.__file__).parent / "modules"

# (name inside the bundle, weights in the wheel, normalisation mean, std)
MODELS = [
    ("pose_detector.tflite", WHEEL_ROOT / "pose_detection" / "pose_detection.tflite", 127.5, 127.5),
    ("pose_landmarks_detector.tflite", WHEEL_ROOT / "pose_landmark" / "pose_landmark_full.tflite", 0.0, 255.0),
]


def with_metadata(weights: pathlib.Path, mean: float, std: float) -> bytes:
    buffer = bytearray(weights.read_bytes())
    writer = metadata_writer.MetadataWriter.create(buffer)
    writer.add_general_info(weights.stem, "BlazePose GHUM 3D (from the mediapipe 0.10.21 wheel)")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for _ in writer_utils.get_output_tensor_types(buffer):
        writer.add_feature_output()
    model, _ = writer.populate()
    return bytes(model)


def main(out: str) -> None:
    if mediapipe.__version__ != "0.10.21":
        sys.exit(f"needs mediapipe 0.10.21 (found {mediapipe.__version__}); see the docstring")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
        for name, weights, mean, std in MODELS:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))  # fixed: reproducible bytes
            bundle.writestr(info, with_metadata(weights, mean, std))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "models/pose_landmarker_full.task")
