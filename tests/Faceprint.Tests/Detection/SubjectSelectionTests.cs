using CsCheck;
using Faceprint.Detection;

namespace Faceprint.Tests.Detection;

public sealed class SubjectSelectionTests
{
    private static DetectedFace Face(float x1, float y1, float x2, float y2, float score = 0.99f) =>
        new(new BoundingBox(x1, y1, x2, y2), score, [new(0, 0), new(0, 0), new(0, 0), new(0, 0), new(0, 0)]);

    [Fact]
    public void ACentredSubjectBeatsASlightlyLargerBystanderCutByTheBorder()
    {
        // 250×250 photo: the subject's 100×100 box is centred; a bystander's 105×105 box is cut by the left edge.
        var bystander = Face(-20, 60, 85, 165);
        var subject = Face(75, 75, 175, 175);
        IReadOnlyList<DetectedFace> faces = [bystander, subject];

        Assert.Equal(1, SubjectSelection.IndexOf(faces, 250, 250, FaceChoice.Prominent));
        Assert.Equal(0, SubjectSelection.IndexOf(faces, 250, 250, FaceChoice.Largest));
    }

    [Fact]
    public void AFarLargerFaceStillWinsOffCentre()
    {
        // A small centred face (say a photo on a wall) against the real subject filling the right half of the frame.
        var small = Face(300, 220, 340, 260);
        var large = Face(330, 100, 600, 380); // 270×280, centre 145 px right of the image's: 75,600 − 42,050 > 1,600
        Assert.Equal(1, SubjectSelection.IndexOf([small, large], 640, 480, FaceChoice.Prominent));
    }

    [Fact]
    public void ProminenceIsAreaMinusTwiceTheSquaredCentreDistance()
    {
        var face = Face(10, 20, 50, 80); // 40×60, centre (30, 50)
        double expected = 40 * 60 - 2 * ((30 - 100) * (30 - 100) + (50 - 75) * (50 - 75));
        Assert.Equal(expected, SubjectSelection.Prominence(face, 200, 150), 6);
    }

    [Fact]
    public void TiesGoToTheHigherScoreThenTheEarlierFace()
    {
        var a = Face(0, 0, 10, 10, 0.8f);
        var b = Face(0, 0, 10, 10, 0.9f);
        var c = Face(0, 0, 10, 10, 0.9f);
        Assert.Equal(1, SubjectSelection.IndexOf([a, b, c], 10, 10, FaceChoice.Prominent));
        Assert.Equal(1, SubjectSelection.IndexOf([a, b, c], 10, 10, FaceChoice.Largest));
    }

    [Fact]
    public void NoFacesIsAnError() =>
        Assert.Throws<ArgumentException>(() => SubjectSelection.IndexOf([], 10, 10, FaceChoice.Prominent));

    private static readonly Gen<DetectedFace> Faces =
        Gen.Select(Gen.Int[-50, 600], Gen.Int[-50, 450], Gen.Int[4, 300], Gen.Int[4, 300], Gen.Float[0.5f, 1f],
            (x, y, w, h, score) => Face(x, y, x + w, y + h, score));

    [Fact]
    public void TheChoiceDoesNotDependOnTheOrderOfDetectionsOrOnMovingPhotoAndFacesTogether() =>
        Gen.Select(Faces.List[1, 8], Gen.Int[-200, 200], Gen.Int[-200, 200], Gen.Int[0, 1]).Sample((faces, dx, dy, c) =>
        {
            var choice = (FaceChoice)c;
            var chosen = faces[SubjectSelection.IndexOf(faces, 640, 480, choice)];
            var reversed = faces.AsEnumerable().Reverse().ToList();
            var again = reversed[SubjectSelection.IndexOf(reversed, 640, 480, choice)];
            // Equal keys and scores make two faces interchangeable: compare what decides, not identity.
            Assert.Equal(Key(chosen), Key(again));

            // Moving every box and the frame's centre by the same offset keeps centre distances: an equally good face wins.
            var shifted = faces.Select(f => f with { Box = new BoundingBox(f.Box.X1 + dx, f.Box.Y1 + dy, f.Box.X2 + dx, f.Box.Y2 + dy) }).ToList();
            int width = 640 + 2 * dx, height = 480 + 2 * dy;
            var moved = shifted[SubjectSelection.IndexOf(shifted, width, height, choice)];
            double movedKey = choice == FaceChoice.Largest ? moved.Box.Area : SubjectSelection.Prominence(moved, width, height);
            Assert.Equal(Key(chosen).Item1, movedKey, 3);

            (double, float) Key(DetectedFace f) => (choice == FaceChoice.Largest ? f.Box.Area : SubjectSelection.Prominence(f, 640, 480), f.Score);
        });
}
