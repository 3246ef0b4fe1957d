"""Projects, and the images and pages inside each, as dynamic partitions."""

import dagster as dg

projects = dg.DynamicPartitionsDefinition(name="projects")
image_slots = dg.DynamicPartitionsDefinition(name="image_slots")
page_slots = dg.DynamicPartitionsDefinition(name="page_slots")

project_images = dg.MultiPartitionsDefinition({"project": projects, "image": image_slots})
project_pages = dg.MultiPartitionsDefinition({"page": page_slots, "project": projects})

# An image or page partition reads the phase results of its own project.
from_project = dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name="project")
# A page reads the images of its project, whatever their key.
images_of_project = dg.MultiPartitionMapping(
    {"project": dg.DimensionPartitionMapping("project", dg.IdentityPartitionMapping())}
)
