using Faceprint.Detection;

namespace Faceprint.Liveness;

/// <summary>
/// The region of the photo the anti-spoofing network sees, as the package's Android code cuts it: the detector's
/// box made square by growing its shorter side about the centre (no margin added), then moved back inside the
/// photo where it sticks out. The package moves both axes by the larger overflow; here each axis moves by its own,
/// so a face at the left edge is not also shifted vertically. A square larger than the photo stays centred on the
/// face and reads black outside the photo.
/// </summary>
public static class LivenessCrop
{
    /// <summary>The square crop of <paramref name="box"/> in a <paramref name="width"/>×<paramref name="height"/> photo.</summary>
    public static BoundingBox Square(BoundingBox box, int width, int height)
    {
        float side = Math.Max(box.Width, box.Height);
        if (!(side > 0)) throw new ArgumentException($"face box {box} has no area", nameof(box));
        float x = Shift((box.X1 + box.X2 - side) / 2, side, width);
        float y = Shift((box.Y1 + box.Y2 - side) / 2, side, height);
        return new BoundingBox(x, y, x + side, y + side);
    }

    private static float Shift(float start, float side, int extent)
    {
        if (side > extent) return start;
        return Math.Clamp(start, 0, extent - side);
    }
}
